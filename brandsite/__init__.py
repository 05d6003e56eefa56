"""brandsite: a static site generator for 一支部一品牌 Party-branch brand showcases."""

__version__ = "0.1.0"
