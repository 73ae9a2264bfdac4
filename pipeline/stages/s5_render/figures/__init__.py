"""Figures: one style (style.py), one module per figure group, one way to save (save.py).

Plot functions take arrays (never paths) and a layout ('web' or 'slide') and return a matplotlib
Figure; the render stage decides what to draw (catalogue.py) and saves it (save.py).
"""
