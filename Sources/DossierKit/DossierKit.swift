// The model's value types are part of DossierKit's API: a client imports DossierKit alone.
@_exported import DossierModel
