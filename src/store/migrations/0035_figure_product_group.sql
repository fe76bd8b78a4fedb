-- 0035: a reported figure may name the product group of the typical-product
-- selection it counts (issue 16): "26 sản phẩm tham gia bình chọn, nhóm thủ
-- công mỹ nghệ 5, nhóm chế biến 20, nhóm khác 1". Like content type, funding
-- and establishment kind it is part of the figure's identity, and an empty
-- one covers every group. The codes are those of awards.product_group.
ALTER TABLE figures ADD COLUMN product_group TEXT;
