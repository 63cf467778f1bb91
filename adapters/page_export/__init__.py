"""Rendering landing pages into files: HTML, a React (TSX) component, JSON, or a zip of all."""
