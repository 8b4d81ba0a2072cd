"""Collectif: the platform a collective impact initiative runs on."""
