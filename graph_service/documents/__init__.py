"""Files a buyer takes away: the sheet's ODT annex, the dossier as DOCX and ODT."""
