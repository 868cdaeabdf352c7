"""publish: a Markdown book project → annotated EPUB 3 and print-ready PDFs."""

__version__ = "0.1.0"
FORMATS = ("epub", "pdf", "press", "booklet", "cover", "web")  # the outputs a build can make
