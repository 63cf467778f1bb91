"""Italian."""

from domain.generation.phrasebook.phrases import Phrases

PHRASES = Phrases(
    brand=" di {brand}",
    intros={
        "professional": ("{name}{brand} unisce dettagli ben studiati in un insieme chiaro e affidabile.",
                         "Con {name}{brand} scegli un prodotto le cui caratteristiche sono descritte "
                         "con chiarezza."),
        "friendly": ("Buone notizie: {name}{brand} ti sta già aspettando.",
                     "Cerchi qualcosa di nuovo? {name}{brand} potrebbe essere proprio quello che fa per te."),
        "luxury": ("{name}{brand} è un invito a godersi le cose belle della vita.",
                   "Scopri {name}{brand}, per chi apprezza la raffinatezza dei dettagli."),
        "playful": ("Voglia di qualcosa di divertente? {name}{brand} è qui per rallegrarti la giornata.",
                    "Psst… {name}{brand} è appena arrivato e aspetta solo te."),
        "technical": ("{name}{brand}: le specifiche tecniche in sintesi.",
                      "La scheda di {name}{brand}, costruita a partire dai dati del prodotto."),
        "persuasive": ("Fai la scelta giusta con {name}{brand}: i dettagli parlano da soli.",
                       "Perché accontentarsi di meno? {name}{brand} offre esattamente ciò che descrivono "
                       "i dettagli."),
        "minimalist": ("{name}{brand}. Semplice ed essenziale.",
                       "{name}{brand}: niente di più, niente di meno."),
    },
    categories=("Lo trovi nella nostra categoria {categories}.",
                "Fa parte della nostra selezione {categories}."),
    details=("I dettagli – {details}.", "In sintesi – {details}."),
    details_heading="Dettagli",
    closings={
        "professional": ("Una scelta sensata per chi apprezza informazioni di prodotto chiare e oneste.",
                         "Così sai esattamente che cosa ti offre {name}."),
        "friendly": ("Speriamo che {name} diventi uno dei tuoi preferiti.",
                     "Buono shopping e buona scoperta!"),
        "luxury": ("Concediti {name} e goditi ogni dettaglio.", "{name}, per momenti da vivere con stile."),
        "playful": ("Forza, dai una possibilità a {name}!", "Il tuo carrello aspetta solo {name}."),
        "technical": ("Tutti i dati provengono dalla scheda del prodotto.",
                      "Ogni specifica di questo testo è presa dai dati del prodotto."),
        "persuasive": ("Aggiungi {name} al carrello oggi stesso.",
                       "Ordina {name} ora e scoprilo di persona."),
        "minimalist": ("Semplicemente {name}.", "{name}. Nient'altro."),
    },
    meta=("{name}{brand} – {details}.", "Scopri {name}{brand}. {details}."),
    meta_plain=("Scopri {name}{brand} nel nostro negozio online.", "{name}{brand}, ora nel nostro negozio."),
    labels={"color": "Colore", "size": "Taglia", "material": "Materiale", "weight": "Peso", "style": "Stile",
            "pattern": "Fantasia", "fit": "Vestibilità", "length": "Lunghezza", "width": "Larghezza",
            "height": "Altezza", "capacity": "Capacità", "volume": "Volume", "finish": "Finitura",
            "type": "Tipo", "gender": "Genere", "season": "Stagione", "origin": "Origine"},
    and_word="e",
)
