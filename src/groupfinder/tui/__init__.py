"""The Textual app. Thin: it renders engine objects and sends answers back."""
