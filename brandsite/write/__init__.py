"""The render-and-write stage: the folders a build may write, the lock, each page rendered into a staged or in-place output, the swap."""
