"""Benchmarks of gradio_tui's client against gradio_client and the bare protocol.

Not tests (pytest only collects ``tests/``): ``python -m bench`` runs them.
"""
