"""Scales at the pack bench (issue 18): serial scales through QtSerialPort (continuous and MT-SICS)."""
