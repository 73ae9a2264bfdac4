"""Stage 5: figures, slides, deck, GIFs, decoded tiles and the widgets' data files."""
