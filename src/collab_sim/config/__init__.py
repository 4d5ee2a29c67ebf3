"""The configuration: typed schema, validation, Hydra composition, its errors, parameters."""
