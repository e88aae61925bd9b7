"""Jinja2 templates of the audit report (shipped as package data)."""
