"""Stage 3: the codes of every train and test image; UMAP of the higher-dimensional codes."""
