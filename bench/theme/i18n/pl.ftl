latest = Najnowsze
