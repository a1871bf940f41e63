"""Measuring the dataset: `evaluate` scores a build against gold annotations, `report` shows or
writes the scores, `quality` records the headline figures, `annotations` turns annotation
drafts into gold files, `view` shows what was extracted from one article."""
