"""The load stage: editor files (Markdown + YAML, data/*.yaml) → model objects and findings, one file at a time."""
