"""``serve``: the preview runs the pipeline's stages on what changed and serves the result with live reload."""
