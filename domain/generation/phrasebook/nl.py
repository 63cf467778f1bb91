"""Dutch."""

from domain.generation.phrasebook.phrases import Phrases

PHRASES = Phrases(
    brand=" van {brand}",
    intros={
        "professional": ("{name}{brand} brengt doordachte details samen in een helder en betrouwbaar geheel.",
                         "Met {name}{brand} kies je voor een product waarvan de eigenschappen duidelijk zijn "
                         "beschreven."),
        "friendly": ("Goed nieuws: {name}{brand} staat al voor je klaar.",
                     "Op zoek naar iets nieuws? {name}{brand} is misschien precies wat je zoekt."),
        "luxury": ("{name}{brand} is een uitnodiging om te genieten van de mooie dingen in het leven.",
                   "Ontdek {name}{brand}, voor wie oog heeft voor verfijnde details."),
        "playful": ("Zin in iets leuks? {name}{brand} maakt je dag een stukje vrolijker.",
                    "Psst… {name}{brand} is net binnen en wacht op jou."),
        "technical": ("{name}{brand}: de specificaties in één oogopslag.",
                      "Een overzicht van {name}{brand}, samengesteld uit de productgegevens."),
        "persuasive": ("Maak de slimme keuze met {name}{brand}: de details spreken voor zich.",
                       "Waarom genoegen nemen met minder? {name}{brand} biedt precies wat de details "
                       "beschrijven."),
        "minimalist": ("{name}{brand}. Eenvoudig en helder.", "{name}{brand}: niet meer en niet minder."),
    },
    categories=("Je vindt het in onze categorie {categories}.",
                "Het maakt deel uit van ons assortiment {categories}."),
    details=("De details – {details}.", "In het kort – {details}."),
    details_heading="Details",
    closings={
        "professional": ("Een verstandige keuze voor wie waarde hecht aan heldere en eerlijke "
                         "productinformatie.",
                         "Zo weet je precies wat {name} je te bieden heeft."),
        "friendly": ("We hopen dat {name} een van je favorieten wordt.", "Veel plezier met shoppen!"),
        "luxury": ("Trakteer jezelf op {name} en geniet van elk detail.",
                   "{name}, voor momenten waarvan je met stijl geniet."),
        "playful": ("Kom op, geef {name} een kans!", "Je winkelmandje wacht alleen nog op {name}."),
        "technical": ("Alle gegevens komen rechtstreeks uit de productinformatie.",
                      "Elke specificatie in deze tekst komt uit de productgegevens."),
        "persuasive": ("Leg {name} vandaag nog in je winkelmandje.", "Bestel {name} nu en overtuig jezelf."),
        "minimalist": ("Gewoon {name}.", "{name}. Meer is niet nodig."),
    },
    meta=("{name}{brand} – {details}.", "Ontdek {name}{brand}. {details}."),
    meta_plain=("Ontdek {name}{brand} in onze webshop.", "{name}{brand}, nu in onze webshop."),
    labels={"color": "Kleur", "size": "Maat", "material": "Materiaal", "weight": "Gewicht", "style": "Stijl",
            "pattern": "Patroon", "fit": "Pasvorm", "length": "Lengte", "width": "Breedte",
             "height": "Hoogte",
            "capacity": "Capaciteit", "volume": "Volume", "finish": "Afwerking", "type": "Type",
            "gender": "Geslacht", "season": "Seizoen", "origin": "Herkomst"},
    and_word="en",
)
