"""Stage 1: the data set (MNIST, Fashion-MNIST or Kuzushiji-MNIST) as uint8 arrays, from
IDX files read through torchvision, and dataset.json saying what it is."""
