class ImportFileError(Exception):
    """The import file cannot be read; says where, so the operator can look."""

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None):
        self.line, self.column = line, column
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(f"{where}{message}")
