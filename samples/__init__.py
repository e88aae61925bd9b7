"""The bundled synthetic sample batch (written by `lhkpn-check sample`)."""
