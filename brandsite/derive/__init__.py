"""The derive stage: what needs the whole site: cross-file checks and the honest statistics."""
