"""The PySide6 windows, view models and controllers of the four modes."""
