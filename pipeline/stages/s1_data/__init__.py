"""Stage 1: MNIST as uint8 arrays, from MD5-checked IDX files read through torchvision."""
