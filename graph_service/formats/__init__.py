"""Writers of file formats shared by the service's answers (SVG pictures)."""
