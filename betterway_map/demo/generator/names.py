"""Word lists for the fictional demo area: people's names, streets, places.

Names are grouped by heritage so that a person's first name, surname and
languages agree, and first names by generation so that an 85-year-old is a
Doreen or a Kenneth more often than an Olivia. Shares are rough figures for a
mixed English town, not statistics about any real place.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["HERITAGES", "Heritage", "STREET_NAMES", "STREET_KINDS", "PASSPHRASE_WORDS"]


@dataclass(frozen=True)
class Heritage:
    """A naming tradition: its share of the register and the languages it brings.

    ``languages`` are (language, probability) pairs besides English;
    ``english`` is the chance that the person also speaks English.
    """

    share: float
    older_first: tuple[str, ...]
    younger_first: tuple[str, ...]
    surnames: tuple[str, ...]
    languages: tuple[tuple[str, float], ...] = ()
    english: float = 1.0


HERITAGES = {
    "british": Heritage(
        0.72,
        older_first=(
            "Margaret",
            "Jean",
            "Doreen",
            "Eileen",
            "Betty",
            "Joan",
            "Patricia",
            "Barbara",
            "Sheila",
            "Maureen",
            "Brenda",
            "Pauline",
            "Sylvia",
            "Irene",
            "Valerie",
            "Marjorie",
            "Audrey",
            "Kathleen",
            "June",
            "Ann",
            "Christine",
            "John",
            "David",
            "Michael",
            "Peter",
            "Brian",
            "Kenneth",
            "Roy",
            "Alan",
            "Derek",
            "Colin",
            "Keith",
            "Geoffrey",
            "Raymond",
            "Dennis",
            "Trevor",
            "Malcolm",
            "Barry",
            "Frank",
            "Ronald",
            "Terence",
            "Norman",
            "Gordon",
        ),  # fmt: skip
        younger_first=(
            "Emma",
            "Sophie",
            "Olivia",
            "Hannah",
            "Lauren",
            "Chloe",
            "Rebecca",
            "Sarah",
            "Claire",
            "Gemma",
            "Amy",
            "Jessica",
            "Lucy",
            "Kelly",
            "Jack",
            "James",
            "Thomas",
            "Daniel",
            "Matthew",
            "Ryan",
            "Liam",
            "Adam",
            "Luke",
            "Craig",
            "Lee",
            "Mark",
            "Paul",
            "Jamie",
            "Ben",
            "Owen",
        ),  # fmt: skip
        surnames=(
            "Smith",
            "Jones",
            "Taylor",
            "Brown",
            "Williams",
            "Wilson",
            "Johnson",
            "Davies",
            "Robinson",
            "Wright",
            "Thompson",
            "Evans",
            "Walker",
            "White",
            "Roberts",
            "Green",
            "Hall",
            "Wood",
            "Jackson",
            "Clarke",
            "Hughes",
            "Turner",
            "Hill",
            "Cooper",
            "Ward",
            "Harris",
            "Lewis",
            "Baker",
            "Carter",
            "Morris",
            "Mason",
            "Shaw",
            "Bennett",
            "Fletcher",
            "Pearson",
            "Barker",
            "Marsh",
            "Holland",
            "Chapman",
            "Parker",
            "Webb",
            "Fowler",
            "Dawson",
        ),  # fmt: skip
    ),
    "welsh": Heritage(
        0.02,
        older_first=("Gwen", "Megan", "Eirlys", "Dilys", "Dafydd", "Gareth", "Emrys", "Huw"),
        younger_first=("Cerys", "Ffion", "Seren", "Rhys", "Iwan", "Dylan"),
        surnames=("Jones", "Evans", "Griffiths", "Pritchard", "Llewellyn", "Price", "Rees"),
        languages=(("cy", 0.4),),
    ),
    "irish": Heritage(
        0.04,
        older_first=("Bridget", "Mary", "Kathleen", "Nora", "Patrick", "Seamus", "Michael"),
        younger_first=("Siobhan", "Aoife", "Niamh", "Ciaran", "Conor", "Declan"),
        surnames=("Murphy", "O'Brien", "Kelly", "Byrne", "Ryan", "Doyle", "McCarthy", "Walsh"),
    ),
    "punjabi": Heritage(
        0.035,
        older_first=("Gurmit", "Harjinder", "Balbir", "Sukhdev", "Manjit", "Kulwant", "Jaswant"),
        younger_first=("Gurpreet", "Simran", "Harpreet", "Amrit", "Jaspreet", "Manpreet"),
        surnames=("Singh", "Kaur", "Sandhu", "Gill", "Dhillon", "Bains", "Sidhu"),
        languages=(("pa", 0.8),),
        english=0.75,
    ),
    "pakistani": Heritage(
        0.035,
        older_first=("Mohammed", "Tariq", "Nasreen", "Shabana", "Abdul", "Bashir", "Zubaida"),
        younger_first=("Ayesha", "Imran", "Sana", "Bilal", "Hamza", "Zainab"),
        surnames=("Khan", "Hussain", "Ahmed", "Iqbal", "Akhtar", "Mahmood", "Raza"),
        languages=(("ur", 0.8), ("pa", 0.3)),
        english=0.75,
    ),
    "bengali": Heritage(
        0.015,
        older_first=("Rahima", "Jahanara", "Abdul", "Shahid", "Rokeya", "Mukith"),
        younger_first=("Nadia", "Rumana", "Sabbir", "Tanvir", "Farhana"),
        surnames=("Begum", "Miah", "Uddin", "Rahman", "Ali", "Islam"),
        languages=(("bn", 0.85),),
        english=0.7,
    ),
    "gujarati": Heritage(
        0.02,
        older_first=("Pravin", "Hansa", "Jayesh", "Kokila", "Ramesh", "Savita", "Dinesh"),
        younger_first=("Priya", "Nikhil", "Pooja", "Kiran", "Anjali", "Rohan"),
        surnames=("Patel", "Mistry", "Shah", "Parmar", "Solanki", "Chauhan"),
        languages=(("gu", 0.75),),
        english=0.85,
    ),
    "caribbean": Heritage(
        0.03,
        older_first=("Winston", "Gladys", "Delroy", "Hyacinth", "Errol", "Myrtle", "Cecil"),
        younger_first=("Jordan", "Tyrone", "Shanice", "Marcus", "Keisha", "Andre"),
        surnames=("Campbell", "Brown", "Williams", "Clarke", "Edwards", "Francis", "Grant"),
    ),
    "somali": Heritage(
        0.01,
        older_first=("Amina", "Hodan", "Abdi", "Faadumo", "Yusuf", "Khadra"),
        younger_first=("Hibo", "Ayaan", "Mahad", "Idil", "Sagal"),
        surnames=("Mohamed", "Hassan", "Ali", "Farah", "Omar", "Warsame"),
        languages=(("so", 0.85), ("ar", 0.2)),
        english=0.6,
    ),
    "polish": Heritage(
        0.03,
        older_first=("Krystyna", "Zofia", "Tadeusz", "Janusz", "Halina", "Stanisław"),
        younger_first=("Piotr", "Agnieszka", "Kasia", "Tomasz", "Magda", "Marek"),
        surnames=("Nowak", "Kowalski", "Wiśniewska", "Wójcik", "Kamiński", "Lewandowska"),
        languages=(("pl", 0.9),),
        english=0.8,
    ),
    "romanian": Heritage(
        0.01,
        older_first=("Elena", "Ion", "Maria", "Gheorghe"),
        younger_first=("Ioana", "Mihai", "Andreea", "Bogdan", "Alina"),
        surnames=("Popescu", "Ionescu", "Dumitru", "Stan", "Munteanu"),
        languages=(("ro", 0.9),),
        english=0.75,
    ),
    "chinese": Heritage(
        0.01,
        older_first=("Wai Ling", "Kam", "Siu Ming", "Yuk Lan", "Kwok"),
        younger_first=("Wei", "Mei", "Jun", "Xin", "Hao"),
        surnames=("Chan", "Wong", "Li", "Cheung", "Lam", "Chen"),
        languages=(("zh", 0.85),),
        english=0.7,
    ),
    "portuguese": Heritage(
        0.005,
        older_first=("Maria", "Manuel", "Fernanda", "António"),
        younger_first=("João", "Ana", "Tiago", "Beatriz"),
        surnames=("Silva", "Santos", "Ferreira", "Pereira", "Costa"),
        languages=(("pt", 0.9), ("es", 0.1)),
        english=0.8,
    ),
}

STREET_NAMES = (
    "Mill", "Church", "Station", "Victoria", "Albert", "Chapel", "Queen's", "Park",
    "Brook", "Orchard", "Meadow", "Willow", "Beech", "Elm", "Oak", "Rowan", "Hawthorn",
    "Ash", "Cedar", "Larch", "Linden", "Poplar", "Alder", "Hazel", "Holly", "Laurel",
    "Maple", "Sycamore", "Chestnut", "Heather", "Primrose", "Bluebell", "Foxglove",
    "Kingfisher", "Heron", "Wren", "Lark", "Swallow", "Falcon", "Tanners", "Weavers",
    "Coopers", "Potters", "Malthouse", "Granary", "Wharf", "Canal", "Lock", "Bridge",
    "Fairfield", "Greenacre", "Highfield", "Longacre", "Westfield", "Southfield",
    "Nightingale", "Cromwell", "Wellington", "Nelson", "Gladstone", "Stanley", "Grove",
)  # fmt: skip
STREET_KINDS = ("Road", "Street", "Lane", "Close", "Avenue", "Way", "Crescent", "Gardens")

# Plain, friendly words for the demo accounts' passphrase.
PASSPHRASE_WORDS = (
    "acorn", "allotment", "anchor", "apricot", "bandstand", "barley", "beacon",
    "biscuit", "blackbird", "bluebell", "bramble", "bridge", "buttercup", "candle",
    "canal", "cardigan", "chestnut", "chorus", "clover", "cobble", "compass",
    "crumpet", "custard", "daisy", "damson", "doorstep", "dovecote", "dumpling",
    "ember", "fiddle", "foxglove", "garden", "gazebo", "ginger", "gooseberry",
    "granary", "harbour", "hazel", "heron", "hillside", "honey", "jigsaw", "kettle",
    "kingfisher", "lantern", "larch", "lavender", "library", "marigold", "meadow",
    "mitten", "moorland", "muffin", "nutmeg", "orchard", "otter", "paddock",
    "pancake", "parsnip", "pebble", "pinecone", "plum", "postbox", "primrose",
    "puffin", "quilt", "raindrop", "rhubarb", "ribbon", "riverbank", "robin",
    "rosehip", "saffron", "scone", "shortbread", "skylark", "snowdrop", "sparrow",
    "spindle", "starling", "sunflower", "teacup", "teapot", "thimble", "thistle",
    "toffee", "treacle", "tulip", "village", "walnut", "weaver", "wharf", "willow",
    "windmill", "woodland", "wren", "yarrow",
)  # fmt: skip
