"""Spanish."""

from domain.generation.phrasebook.phrases import Phrases

PHRASES = Phrases(
    brand=" de {brand}",
    intros={
        "professional": ("{name}{brand} reúne detalles bien pensados en un conjunto claro y fiable.",
                         "Con {name}{brand} eliges un producto cuyas características están "
                         "descritas con claridad."),
        "friendly": ("¡Buenas noticias! {name}{brand} ya te está esperando.",
                     "¿Buscas algo nuevo? {name}{brand} puede ser justo lo que necesitas."),
        "luxury": ("{name}{brand} es una invitación a disfrutar de las cosas buenas de la vida.",
                   "Descubre {name}{brand}, para quienes aprecian el detalle refinado."),
        "playful": ("¿Te apetece algo divertido? {name}{brand} llega para alegrarte el día.",
                    "Psst… {name}{brand} acaba de llegar y te está esperando."),
        "technical": ("{name}{brand}: las especificaciones de un vistazo.",
                      "La ficha de {name}{brand}, elaborada a partir de los datos del producto."),
        "persuasive": ("Acierta con {name}{brand}: los detalles hablan por sí solos.",
                       "¿Por qué conformarte con menos? {name}{brand} te ofrece exactamente lo que "
                       "describen los detalles."),
        "minimalist": ("{name}{brand}. Sencillo y directo.", "{name}{brand}: ni más ni menos."),
    },
    categories=("Lo encontrarás en nuestra categoría {categories}.",
                "Forma parte de nuestra selección de {categories}."),
    details=("Los detalles – {details}.", "En resumen – {details}."),
    details_heading="Detalles",
    closings={
        "professional": ("Una elección acertada para quien valora una información de producto clara "
                         "y honesta.",
                         "Así sabes exactamente lo que te ofrece {name}."),
        "friendly": ("Esperamos que {name} se convierta en uno de tus favoritos.",
                     "¡Que disfrutes de tu compra!"),
        "luxury": ("Date el gusto de {name} y disfruta de cada detalle.",
                   "{name}, para momentos que se disfrutan con estilo."),
        "playful": ("¡Anímate y dale una oportunidad a {name}!", "Tu carrito solo espera a {name}."),
        "technical": ("Todos los datos proceden de la ficha del producto.",
                      "Cada especificación de este texto se toma de los datos del producto."),
        "persuasive": ("Añade {name} a tu carrito hoy mismo.",
                       "Pide {name} ahora y compruébalo por ti mismo."),
        "minimalist": ("Simplemente {name}.", "{name}. Nada más."),
    },
    meta=("{name}{brand} – {details}.", "Descubre {name}{brand}. {details}."),
    meta_plain=("Descubre {name}{brand} en nuestra tienda online.", "{name}{brand}, ya en nuestra tienda."),
    labels={"color": "Color", "size": "Talla", "material": "Material", "weight": "Peso", "style": "Estilo",
            "pattern": "Estampado", "fit": "Corte", "length": "Longitud", "width": "Anchura",
             "height": "Altura",
            "capacity": "Capacidad", "volume": "Volumen", "finish": "Acabado", "type": "Tipo",
            "gender": "Género", "season": "Temporada", "origin": "Origen"},
    and_word="y",
)
