"""Transforms: changes to a document's tree that any conversion may ask for."""
