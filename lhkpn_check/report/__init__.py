"""Rendering: HTML report and Excel workbook."""
