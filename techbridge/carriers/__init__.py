"""Carriers (载体) and enterprises: R&D institutions, science parks, maker spaces, incubators and the rest,
their incubated firms, annual reports and performance evaluation; enterprise designations, R&D input,
产学研 projects, industry technology innovation alliances; the library of typical cases (典型案例)."""
