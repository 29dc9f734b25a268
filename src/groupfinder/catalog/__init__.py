"""Reading and validating the data files (formats, groups, helplines, places, directories,
answers files, HSDS in and out): the one place where untrusted text becomes typed objects."""
