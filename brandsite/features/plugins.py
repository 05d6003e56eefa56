"""The features the pipeline runs, in order: the one list of them (see ``features.py``).

Order matters where hooks chain: the images replace Markdown images before the Traditional
version converts the page's text; the search index comes before the image files.
"""

from __future__ import annotations

from brandsite.features import hant, images, search
from brandsite.features.feature import Feature

FEATURES: tuple[Feature, ...] = (search.FEATURE, images.FEATURE, hant.FEATURE)
