"""German."""

from domain.generation.phrasebook.phrases import Phrases

PHRASES = Phrases(
    brand=" von {brand}",
    intros={
        "professional": ("{name}{brand} vereint durchdachte Details zu einem klaren, verlässlichen Ganzen.",
                         "Mit {name}{brand} wählen Sie ein Produkt, dessen Eigenschaften klar "
                         "beschrieben sind."),
        "friendly": ("Gute Nachricht: {name}{brand} wartet schon auf dich.",
                     "Auf der Suche nach etwas Neuem? {name}{brand} ist vielleicht genau das Richtige "
                     "für dich."),
        "luxury": ("{name}{brand} ist eine Einladung, die schönen Dinge des Lebens zu genießen.",
                   "Entdecken Sie {name}{brand} – für alle, die erlesene Details zu schätzen wissen."),
        "playful": ("Lust auf etwas Neues? {name}{brand} bringt Schwung in deinen Tag.",
                    "Psst… {name}{brand} ist gerade eingetroffen und will von dir entdeckt werden."),
        "technical": ("{name}{brand}: die technischen Daten auf einen Blick.",
                      "Eine Produktübersicht zu {name}{brand}, aus den Produktdaten zusammengestellt."),
        "persuasive": ("Treffen Sie die kluge Wahl mit {name}{brand} – die Details sprechen für sich.",
                       "Warum sich mit weniger zufriedengeben? {name}{brand} bietet genau das, was die "
                       "Details beschreiben."),
        "minimalist": ("{name}{brand}. Schlicht und auf den Punkt.",
                       "{name}{brand} – nicht mehr und nicht weniger."),
    },
    categories=("Sie finden es in unserer Kategorie {categories}.",
                "Es gehört zu unserem Sortiment {categories}."),
    details=("Die Details – {details}.", "Auf einen Blick – {details}."),
    details_heading="Details",
    closings={
        "professional": ("Eine gute Wahl für alle, die Wert auf klare und ehrliche Produktinformationen "
                         "legen.",
                         "So wissen Sie genau, was Sie mit {name} bekommen."),
        "friendly": ("Wir hoffen, {name} wird eines deiner Lieblingsstücke.", "Viel Freude beim Entdecken!"),
        "luxury": ("Gönnen Sie sich {name} und genießen Sie jedes Detail.",
                   "{name} – für Momente, die Sie mit Stil genießen."),
        "playful": ("Na los, gib {name} eine Chance!", "Dein Warenkorb wartet nur noch auf {name}."),
        "technical": ("Alle Angaben stammen direkt aus den Produktdaten.",
                      "Jede Angabe hier ist den Produktdaten entnommen."),
        "persuasive": ("Legen Sie {name} noch heute in den Warenkorb.",
                       "Bestellen Sie {name} jetzt und überzeugen Sie sich selbst."),
        "minimalist": ("Einfach {name}.", "{name}. Mehr braucht es nicht."),
    },
    meta=("{name}{brand} – {details}.", "Entdecken Sie {name}{brand}. {details}."),
    meta_plain=("Entdecken Sie {name}{brand} in unserem Onlineshop.",
                "{name}{brand} – jetzt in unserem Shop."),
    labels={"color": "Farbe", "size": "Größe", "material": "Material", "weight": "Gewicht", "style": "Stil",
            "pattern": "Muster", "fit": "Passform", "length": "Länge", "width": "Breite", "height": "Höhe",
            "capacity": "Kapazität", "volume": "Volumen", "finish": "Oberfläche", "type": "Typ",
            "gender": "Geschlecht", "season": "Saison", "origin": "Herkunft"},
    and_word="und",
)
