"""Sinergi: case management and cross-agency coordination for UPTD PPA."""
