"""What a person reads, written once for every surface: group facts, reason lines, helplines,
the help line; the JSON, Markdown and table outputs, the PDF handout, exports and statistics."""
