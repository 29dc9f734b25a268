"""What the counselor and kiosk modes keep apart from the screens: the counselor's record and
the kiosk's settings, PIN, printing and crash supervisor."""
