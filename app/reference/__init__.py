"""Reference data of a regional purchasing body: parties, products, admissions and tariffs,
their validation and history, declaration period schemes, CSV import/export and demo data."""
