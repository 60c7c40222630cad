package com.acme.model

/** Something sold. */
open class Item(val name: String, protected val price: Int) { // <def:Item> <def:Item.name> <def:Item.price>
    open fun price(): Int = price // <def:Item.priceF> <ref:price#2=Item.price>

    fun discounted(percent: Int): Int { // <def:Item.discounted>
        return price() - price * percent / 100 // <ref:price=Item.priceF> <ref:price#2=Item.price>
    }

    companion object {
        const val FREE = 0 // <def:Item.FREE>

        fun free(name: String): Item = Item(name, FREE) // <def:Item.free> <ref:Item=Item> <ref:Item#2=Item> <ref:FREE=Item.FREE>
    }
}

class Gift(name: String) : Item(name, 0) { // <def:Gift> <ref:Item=Item>
    override fun price(): Int = super.price() + wrapping // <def:Gift.price> <ref:price#2=Item.priceF> <ref:wrapping=Gift.wrapping>

    private val wrapping = 2 // <def:Gift.wrapping>
}
