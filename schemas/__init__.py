"""JSON Schemas of the file formats, shipped inside the package."""
