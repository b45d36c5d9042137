"""The image rules, one module per concern; `image_checks.registry` lists them."""
