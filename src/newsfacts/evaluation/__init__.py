"""Measuring the dataset: `evaluate` scores a build against gold annotations, `quality` records
the headline figures, `annotations` turns annotation drafts into gold files, `view` shows what
was extracted from one article."""
