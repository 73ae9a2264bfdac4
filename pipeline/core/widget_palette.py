"""The colours only the widgets use (the explorer's overlays, the hero, the draw widget, the
architecture widget), built on the project palette (``palette.py``).

Apart from it because no figure reads them: every figure job keys on the code its group imports,
palette.py included, and this module is in no figure's closure, so a widget's colour change
redraws no figure. The widgets get these through their data files, as the rest of the palette.
"""

from __future__ import annotations

from .palette import DIGIT_COLORS, GAP_COLOR, HALO_COLOR, MODEL_COLORS

# What the explorer draws over its maps of decoded digits (white strokes on black, as MNIST).
MAP_COLORS: dict[str, str] = {
    "background": "#000000",  # behind tiles not loaded yet: the digits' own background
    "gap": GAP_COLOR,
    "halo": HALO_COLOR,
    "prior": "#ffffff",  # the N(0, I) circles, light on the dark map
    "probe": "#ffffff",  # the crosshair at the inspected point, with a dark outline
    "probe_outline": "#000000",
    # The decoded-quality overlay: off-manifold cells in a bright yellow, which neither the
    # white digits nor the red hole map use, so both overlays can be on at once.
    "off_manifold": "#ffd400",
    # The hero's empty decode grid says what will appear there, in light grey on black.
    "placeholder": "#d9d9d9",
    # The hero's sample points over the faint training codes: black with a white halo, which no
    # digit is (in the model colours they looked like digits 0 and 6).
    "sample": "#000000",
    # The draw widget's keyboard cursor on its black canvas: neither white (ink) nor the
    # overlay yellow; orange while the pen is down.
    "cursor": "#5da5da",
    "cursor_pen": "#e66100",
}

# The architecture widget's layers, by role: the image in the digits' neutral grey, the encoder
# in the AE's blue, the code in an orange of the digit palette, the decoder in the spare green.
LAYER_COLORS: dict[str, str] = {"input": DIGIT_COLORS[3], "encoder": MODEL_COLORS["ae"],
                                "code": DIGIT_COLORS[6], "decoder": MODEL_COLORS["other"],
                                "output": DIGIT_COLORS[3]}
# Activations: 0 is white, positive values darken to ACTIVATION_POSITIVE, negative ones to
# ACTIVATION_NEGATIVE (orange: ReLU layers are never negative, so orange marks the code/output).
ACTIVATION_POSITIVE = "#000000"
ACTIVATION_NEGATIVE = "#ff5f00"
# A code value printed in its square: dark on a light square, light on a dark one.
ACTIVATION_TEXT = {"on_light": "#000000", "on_dark": "#ffffff"}
