"""The validated site model and its value types (figures, slugs, pages): what every stage after loading relies on."""
