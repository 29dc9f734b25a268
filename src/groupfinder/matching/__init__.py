"""From answers to ranked formats and groups: the rules, the limits, the matcher, distances,
the helplines for a person and the notices that come with a recommendation."""
