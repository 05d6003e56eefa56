"""Search, the Traditional version, images and emblems: each plugs into the stages through ``feature.Feature``."""
