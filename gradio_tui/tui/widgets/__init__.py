"""Widgets of the terminal app, grouped by screen area."""
