package com.acme.model

interface Priced { // <def:Priced>
    fun total(): Int // <def:Priced.total>
}

data class Line(val item: Item, val quantity: Int = 1) : Priced { // <def:Line> <def:Line.item> <def:Line.quantity> <ref:Item=Item> <ref:Priced=Priced>
    override fun total(): Int = item.price() * quantity // <def:Line.total> <ref:item=Line.item> <ref:price=Item.priceF> <ref:quantity=Line.quantity>
}

enum class Category { // <def:Category>
    FOOD, // <def:Category.FOOD>
    TOOLS, // <def:Category.TOOLS>
}
