"""The plan stage: the page list, what each page depends on, the Jinja environment, machine-readable files."""
