module Shop # <def:Shop>
  # Something sold.
  class Item # <def:Item>
    attr_reader :name, :price # <def:Item.name> <def:Item.price>
    attr_accessor :tags # <def:Item.tags>

    def initialize(name, price = 0) # <def:Item.initialize>
      @name = name # <def:Item.@name>
      @price = price # <def:Item.@price>
      @tags = [] # <def:Item.@tags>
    end

    def self.free(name) # <def:Item.free>
      new(name, 0) # <ref:new=Item.initialize>
    end

    def discounted(percent) # <def:Item.discounted>
      @price - (@price * percent / 100) # <ref:@price=Item.@price> <ref:@price#2=Item.@price>
    end

    def tagged?(tag) # <def:Item.tagged?>
      @tags.include?(tag) # <ref:@tags=Item.@tags>
    end

    def to_h # <def:Item.to_h>
      { name: name, price: price } # <ref:name#2=Item.name> <ref:price#2=Item.price>
    end
  end
end
