class ImportFileError(Exception):
    """A file we cannot read as a sheet; the message is for the person who uploaded it."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)
