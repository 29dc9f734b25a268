"""The domain: the vocabulary, the typed models, the words for them in each language and the
questionnaire declared as data. It imports nothing else of groupfinder."""
