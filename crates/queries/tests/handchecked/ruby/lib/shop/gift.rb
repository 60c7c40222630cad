module Shop # <def:Shop>
  # Items reopened: gifts.
  class Item # <def:Item>
    def gift? # <def:Item.gift?>
      price.zero? || tagged?("gift") # <ref:price=Item.price> <ref:tagged?=Item.tagged?>
    end
  end

  class Wrapped < Item # <def:Wrapped> <ref:Item=Item>
    def discounted(percent) # <def:Wrapped.discounted>
      super + 1
    end

    def label # <def:Wrapped.label>
      gift? ? "#{name} (gift)" : name # <ref:gift?=Item.gift?> <ref:name=Item.name> <ref:name#2=Item.name>
    end
  end
end
