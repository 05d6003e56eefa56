"""Editor commands that write sources, never output: ``new site``, ``new branch`` and ``import`` from Word."""
